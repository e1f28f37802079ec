// The Container Apps environment, internal (no public endpoint) in the virtual network: Orleans' documented topology
// for Container Apps. Every silo app advertises the environment's private static IP with ports of its own; the
// Application Gateway reaches the apps' HTTP ingress through the private DNS zone below.

param namePrefix string
param location string
param tags object
param subnetId string
param vnetId string
param logAnalyticsWorkspaceName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${namePrefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: subnetId
      internal: true
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    // Zone redundancy spreads the replicas of one app; the silo apps have one replica each (see main.bicep).
    zoneRedundant: false
  }
}

// An internal environment's apps resolve only inside the environment; this zone lets the rest of the network (the
// Application Gateway) resolve <app>.<default domain> to the environment's private IP. A module, because the zone's
// name is known only once the environment exists.
module dns 'environment-dns.bicep' = {
  name: '${namePrefix}-env-dns'
  params: {
    zoneName: environment.properties.defaultDomain
    staticIp: environment.properties.staticIp
    vnetId: vnetId
    tags: tags
  }
}

output id string = environment.id
output staticIp string = environment.properties.staticIp
output defaultDomain string = environment.properties.defaultDomain
