// Key Vault for every secret the apps read. Access is Azure RBAC only: the runtime identity is a Key Vault Secrets
// User and reads them through Container Apps secret references (keyVaultUrl + identity); nothing is copied into the
// apps' configuration.
//
// Secrets written here are the operator's own (the bootstrap admin key, the secrets key, the key pepper). Each is
// written only when its parameter is given, so a later deployment without them keeps the stored values: changing the
// secrets key or the pepper by accident would make every stored PBX secret or every API key unusable. Secrets derived
// from other resources are written by those resources' modules (postgres.bicep, storage.bicep).

param name string
param location string
param tags object
param runtimePrincipalId string

@description('Purge protection cannot be turned off again once on: on in prod, off in dev so a torn-down vault name can be reused.')
param purgeProtection bool

@secure()
param telephonyAdminKey string

@secure()
param telephonySecretsKey string

@secure()
param telephonyKeyPepper string

// Built-in role: Key Vault Secrets User (read secret values).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: purgeProtection ? 90 : 7
    // The property accepts only true or absent.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, runtimePrincipalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: runtimePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource adminKey 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(telephonyAdminKey)) {
  parent: vault
  name: 'telephony-admin-key'
  properties: {
    value: telephonyAdminKey
  }
}

resource secretsKey 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(telephonySecretsKey)) {
  parent: vault
  name: 'telephony-secrets-key'
  properties: {
    value: telephonySecretsKey
  }
}

resource keyPepper 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(telephonyKeyPepper)) {
  parent: vault
  name: 'telephony-key-pepper'
  properties: {
    value: telephonyKeyPepper
  }
}

output name string = vault.name
// Whatever reads this output waits for the whole module, role assignment included, so the apps' secret references
// are created only once the runtime identity may read them.
output uri string = vault.properties.vaultUri
