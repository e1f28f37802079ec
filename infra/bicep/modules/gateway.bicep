// The public entrance: an Application Gateway v2 in front of the API silo apps, since the internal environment has no
// public endpoint and each silo app has its own HTTP ingress. It balances across the silos (any replica answers any
// request), takes a silo out while /health/ready fails, and passes WebSockets through. With a TLS certificate in Key
// Vault it serves HTTPS and redirects HTTP; without one (dev) it serves plain HTTP on port 80 only.

param namePrefix string
param location string
param tags object
param subnetId string
param identityId string
param keyVaultUri string

@description('Host names of the API silo apps\' ingress (<app>.<environment default domain>).')
param apiHostNames array

@description('Name of a certificate (or PFX secret) in the Key Vault for HTTPS; empty = HTTP only.')
param tlsCertificateSecretName string

@description('DNS label of the public IP: <label>.<region>.cloudapp.azure.com.')
param dnsLabel string

@minValue(0)
@maxValue(10)
param minCapacity int

var gatewayName = '${namePrefix}-gateway'
var https = !empty(tlsCertificateSecretName)

resource publicIp 'Microsoft.Network/publicIPAddresses@2025-07-01' = {
  name: '${namePrefix}-gateway-ip'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    dnsSettings: {
      domainNameLabel: dnsLabel
    }
  }
}

var frontend = resourceId('Microsoft.Network/applicationGateways/frontendIPConfigurations', gatewayName, 'public')
var pool = resourceId('Microsoft.Network/applicationGateways/backendAddressPools', gatewayName, 'api')
var backendSettings = resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', gatewayName, 'api')

var httpListener = {
  name: 'http'
  properties: {
    frontendIPConfiguration: { id: frontend }
    frontendPort: { id: resourceId('Microsoft.Network/applicationGateways/frontendPorts', gatewayName, 'http') }
    protocol: 'Http'
  }
}

var httpsListener = {
  name: 'https'
  properties: {
    frontendIPConfiguration: { id: frontend }
    frontendPort: { id: resourceId('Microsoft.Network/applicationGateways/frontendPorts', gatewayName, 'https') }
    protocol: 'Https'
    sslCertificate: { id: resourceId('Microsoft.Network/applicationGateways/sslCertificates', gatewayName, 'public') }
  }
}

var toApi = {
  name: 'api'
  properties: {
    ruleType: 'Basic'
    priority: 100
    httpListener: { id: resourceId('Microsoft.Network/applicationGateways/httpListeners', gatewayName, https ? 'https' : 'http') }
    backendAddressPool: { id: pool }
    backendHttpSettings: { id: backendSettings }
  }
}

var redirectToHttps = {
  name: 'http-to-https'
  properties: {
    ruleType: 'Basic'
    priority: 200
    httpListener: { id: resourceId('Microsoft.Network/applicationGateways/httpListeners', gatewayName, 'http') }
    redirectConfiguration: { id: resourceId('Microsoft.Network/applicationGateways/redirectConfigurations', gatewayName, 'http-to-https') }
  }
}

resource gateway 'Microsoft.Network/applicationGateways@2025-07-01' = {
  name: gatewayName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    sku: {
      name: 'Standard_v2'
      tier: 'Standard_v2'
    }
    autoscaleConfiguration: {
      minCapacity: minCapacity
      maxCapacity: 10
    }
    gatewayIPConfigurations: [
      {
        name: 'gateway'
        properties: {
          subnet: { id: subnetId }
        }
      }
    ]
    frontendIPConfigurations: [
      {
        name: 'public'
        properties: {
          publicIPAddress: { id: publicIp.id }
        }
      }
    ]
    frontendPorts: [
      {
        name: 'http'
        properties: { port: 80 }
      }
      {
        name: 'https'
        properties: { port: 443 }
      }
    ]
    sslCertificates: https ? [
      {
        name: 'public'
        properties: {
          // Versionless: the gateway picks up a renewed certificate by itself.
          keyVaultSecretId: '${keyVaultUri}secrets/${tlsCertificateSecretName}'
        }
      }
    ] : []
    backendAddressPools: [
      {
        name: 'api'
        properties: {
          backendAddresses: [for host in apiHostNames: { fqdn: host }]
        }
      }
    ]
    backendHttpSettingsCollection: [
      {
        name: 'api'
        properties: {
          port: 443
          protocol: 'Https'
          // Container Apps routes by host name: each silo app is reached under its own.
          pickHostNameFromBackendAddress: true
          // Above the bridges' command long poll (GET …/commands?wait=25); the gateway's default is 20 s.
          requestTimeout: 60
          cookieBasedAffinity: 'Disabled'
          probe: { id: resourceId('Microsoft.Network/applicationGateways/probes', gatewayName, 'api-ready') }
        }
      }
    ]
    probes: [
      {
        name: 'api-ready'
        properties: {
          protocol: 'Https'
          path: '/health/ready'
          interval: 10
          timeout: 5
          unhealthyThreshold: 3
          pickHostNameFromBackendHttpSettings: true
          match: {
            statusCodes: [
              '200'
            ]
          }
        }
      }
    ]
    httpListeners: https ? [
      httpListener
      httpsListener
    ] : [
      httpListener
    ]
    redirectConfigurations: https ? [
      {
        name: 'http-to-https'
        properties: {
          redirectType: 'Permanent'
          targetListener: { id: resourceId('Microsoft.Network/applicationGateways/httpListeners', gatewayName, 'https') }
          includePath: true
          includeQueryString: true
        }
      }
    ] : []
    requestRoutingRules: https ? [
      toApi
      redirectToHttps
    ] : [
      toApi
    ]
  }
}

output publicHostName string = publicIp.properties.dnsSettings.fqdn
output publicIpAddress string = publicIp.properties.ipAddress
