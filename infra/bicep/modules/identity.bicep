// The apps' one runtime identity: reads Key Vault secrets (secret references), pulls images when a registry is given,
// and is the SignalR App Server. Deploying identities and role assignments needs Owner or User Access Administrator
// on the resource group.

param namePrefix string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${namePrefix}-runtime'
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
