// One virtual network: the Container Apps environment (internal: no public endpoint, as Orleans documents for silos),
// the Application Gateway that is the only public entrance, and PostgreSQL's delegated subnet (private access).

param namePrefix string
param location string
param tags object

resource vnet 'Microsoft.Network/virtualNetworks@2025-07-01' = {
  name: '${namePrefix}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.40.0.0/16'
      ]
    }
    subnets: [
      {
        // A workload-profiles environment needs at least a /27; a /23 leaves room for many replicas.
        name: 'container-apps'
        properties: {
          addressPrefix: '10.40.0.0/23'
          delegations: [
            {
              name: 'containerApps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        // Application Gateway v2 wants a subnet of its own.
        name: 'gateway'
        properties: {
          addressPrefix: '10.40.2.0/24'
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: '10.40.3.0/24'
          delegations: [
            {
              name: 'postgresFlexibleServers'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

output vnetId string = vnet.id
output containerAppsSubnetId string = vnet.properties.subnets[0].id
output gatewaySubnetId string = vnet.properties.subnets[1].id
output postgresSubnetId string = vnet.properties.subnets[2].id
