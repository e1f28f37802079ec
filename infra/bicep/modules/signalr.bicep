// Azure SignalR Service in Default mode: the API keeps its hub and negotiate endpoint, and the service carries the
// browser connections, so a pop reaches a browser whichever API replica handled the call (issue 12 §2). Local keys are
// off: the API authenticates with the runtime identity (SignalR App Server), so its connection string holds no key.

param name string
param location string
param tags object
param runtimePrincipalId string
param runtimeClientId string

@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param skuName string

@minValue(1)
@maxValue(100)
param capacity int

@description('Browser origins allowed to connect to the service (the dashboard is served by the API itself).')
param allowedOrigins array

// Built-in role: SignalR App Server (server connections and negotiation with Microsoft Entra ID).
var signalRAppServerRoleId = '420fcaa2-552c-430f-98ca-3264be4806c7'

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: split(skuName, '_')[0]
    capacity: capacity
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Default'
      }
    ]
    cors: {
      allowedOrigins: empty(allowedOrigins) ? [
        '*'
      ] : allowedOrigins
    }
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    tls: {
      clientCertEnabled: false
    }
  }
}

resource appServer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, runtimePrincipalId, signalRAppServerRoleId)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', signalRAppServerRoleId)
    principalId: runtimePrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Microsoft.Azure.SignalR's identity-based form: no access key in it, so it is configuration, not a secret.
output connectionString string = 'Endpoint=https://${signalR.properties.hostName};AuthType=azure.msi;ClientId=${runtimeClientId};Version=1.0'
