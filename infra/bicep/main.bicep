// Telephony in Azure (issue 12 §4): the API as an Orleans cluster of one-replica Container Apps behind an Application
// Gateway, the fleet bridge, PostgreSQL Flexible Server, Azure SignalR Service (Default mode), a Storage account for
// clustering, Key Vault for every secret (read by the apps' managed identity), Log Analytics + Application Insights.
// Deploy: README "Deploy to Azure". Checked by scripts/lib/bicep.sh (build + lint), never deployed from this repository.

targetScope = 'resourceGroup'

@description('Part of every resource name and the Orleans cluster id.')
@allowed([
  'dev'
  'test'
  'staging'
  'prod'
])
param environmentName string

param location string = resourceGroup().location

@description('API image, by digest or a unique tag (never a mutable latest): each deployment replaces the silos with it.')
param apiImage string

@description('Bridge image, by digest or a unique tag.')
param bridgeImage string

@description('Registry the images come from, pulled with the runtime identity (grant it AcrPull); empty = a public registry.')
param registryServer string = ''

@description('API replicas = Orleans silos, one Container App each. Keep at least 2 so losing one leaves the API up.')
@minValue(1)
@maxValue(10)
param apiSiloCount int = 2

param apiCpu string = '0.5'
param apiMemory string = '1Gi'

@description('Deploy the fleet bridge. Its key is issued by the running API, so the first deployment leaves it out (README).')
param deployFleetBridge bool = false

@minValue(1)
@maxValue(10)
param bridgeReplicas int = 1

param bridgeCpu string = '0.25'
param bridgeMemory string = '0.5Gi'

param postgresSkuName string = 'Standard_B2s'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@minValue(32)
param postgresStorageSizeGB int = 32

@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

param postgresZoneRedundantHighAvailability bool = false

@allowed([
  '16'
  '17'
])
param postgresVersion string = '16'

@description('PostgreSQL administrator password; DATABASE_URL in Key Vault is composed from it. Required at every deployment (the env files read it from POSTGRES_ADMIN_PASSWORD), so a change reaches the server and the secret together.')
@secure()
@minLength(16)
param postgresAdminPassword string

@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param signalRSkuName string = 'Free_F1'

@minValue(1)
@maxValue(100)
param signalRCapacity int = 1

@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Browser origins allowed to call the API and connect to the hub (CORS_ORIGINS), e.g. FoodFlow\'s admin panel.')
param corsOrigins array = []

@description('Host name the API is published under (a DNS CNAME to the gateway\'s cloudapp.azure.com name); empty = that name.')
param publicHostName string = ''

@description('Certificate for publicHostName, stored in this deployment\'s Key Vault; empty = HTTP only (dev).')
param tlsCertificateSecretName string = ''

@minValue(0)
@maxValue(10)
param gatewayMinCapacity int = 0

param keyVaultPurgeProtection bool = false

@description('Bootstrap admin key (16+ characters). Written to Key Vault when given; left out, the stored one is kept.')
@secure()
param telephonyAdminKey string = ''

@description('Base64 of 32 random bytes, sealing PBX client secrets. Written when given; left out, the stored one is kept.')
@secure()
param telephonySecretsKey string = ''

@description('Pepper of the API key hashes. Written when given; left out, the stored one is kept. Never change it: every key would stop working.')
@secure()
param telephonyKeyPepper string = ''

@description('During a secrets key rotation: also read telephony-secrets-key-previous from Key Vault (README "Fleet mode").')
param useSecretsKeyPrevious bool = false

var namePrefix = 'tel-${environmentName}'
var unique = uniqueString(resourceGroup().id, environmentName)
var tags = {
  application: 'telephony'
  environment: environmentName
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv-tel-${environmentName}-${take(unique, 6)}'
    location: location
    tags: tags
    runtimePrincipalId: identity.outputs.principalId
    purgeProtection: keyVaultPurgeProtection
    telephonyAdminKey: telephonyAdminKey
    telephonySecretsKey: telephonySecretsKey
    telephonyKeyPepper: telephonyKeyPepper
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('sttel${environmentName}${unique}', 24)
    location: location
    tags: tags
    keyVaultName: keyVault.outputs.name
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: 'psql-tel-${environmentName}-${take(unique, 6)}'
    location: location
    tags: tags
    subnetId: network.outputs.postgresSubnetId
    vnetId: network.outputs.vnetId
    keyVaultName: keyVault.outputs.name
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    zoneRedundantHighAvailability: postgresZoneRedundantHighAvailability
    version: postgresVersion
    administratorPassword: postgresAdminPassword
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalR'
  params: {
    name: 'sigr-tel-${environmentName}-${take(unique, 6)}'
    location: location
    tags: tags
    runtimePrincipalId: identity.outputs.principalId
    runtimeClientId: identity.outputs.clientId
    skuName: signalRSkuName
    capacity: signalRCapacity
    allowedOrigins: corsOrigins
  }
}

module environment 'modules/environment.bicep' = {
  name: 'containerAppsEnvironment'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    subnetId: network.outputs.containerAppsSubnetId
    vnetId: network.outputs.vnetId
    logAnalyticsWorkspaceName: monitoring.outputs.workspaceName
  }
}

// Settings every API silo shares. The telemetry ones are read once issue 12 §6 lands in the code.
var apiSettings = [
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'PORT', value: '3008' }
  { name: 'CORS_ORIGINS', value: join(corsOrigins, ',') }
  // Orleans clustering on the Storage account's Table service (the same setting points at Azurite locally).
  { name: 'ORLEANS_CLUSTERING', value: 'AzureStorage' }
  { name: 'ORLEANS_CLUSTER_ID', value: 'telephony-${environmentName}' }
  { name: 'ORLEANS_SERVICE_ID', value: 'telephony' }
  // Browser pushes through Azure SignalR Service (identity-based connection string: no key in it).
  { name: 'AZURE_SIGNALR_CONNECTION_STRING', value: signalR.outputs.connectionString }
  // Traces, metrics and logs to Application Insights.
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.appInsightsConnectionString }
  { name: 'OTEL_SERVICE_NAME', value: 'telephony-api' }
  // DefaultAzureCredential picks the runtime identity with this.
  { name: 'AZURE_CLIENT_ID', value: identity.outputs.clientId }
]

var apiSecretSettings = concat([
  { name: 'DATABASE_URL', secret: postgres.outputs.databaseUrlSecretName }
  { name: 'AZURE_STORAGE_CONNECTION_STRING', secret: storage.outputs.connectionStringSecretName }
  { name: 'TELEPHONY_ADMIN_KEY', secret: 'telephony-admin-key' }
  { name: 'TELEPHONY_SECRETS_KEY', secret: 'telephony-secrets-key' }
  { name: 'TELEPHONY_KEY_PEPPER', secret: 'telephony-key-pepper' }
], useSecretsKeyPrevious ? [
  { name: 'TELEPHONY_SECRETS_KEY_PREVIOUS', secret: 'telephony-secrets-key-previous' }
] : [])

module apiSilos 'modules/api-silo.bicep' = [for i in range(0, apiSiloCount): {
  name: 'api-silo-${i}'
  params: {
    name: '${namePrefix}-api-${i}'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    image: apiImage
    registryServer: registryServer
    identityId: identity.outputs.id
    keyVaultUri: keyVault.outputs.uri
    cpu: apiCpu
    memory: apiMemory
    settings: apiSettings
    secretSettings: apiSecretSettings
    siloName: '${namePrefix}-api-${i}'
    advertisedIp: environment.outputs.staticIp
    // Exposed ports are unique across the environment (36985 is reserved by the platform).
    advertisedSiloPort: 11111 + i
    advertisedGatewayPort: 30000 + i
  }
}]

module gateway 'modules/gateway.bicep' = {
  name: 'gateway'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    subnetId: network.outputs.gatewaySubnetId
    identityId: identity.outputs.id
    keyVaultUri: keyVault.outputs.uri
    apiHostNames: [for i in range(0, apiSiloCount): apiSilos[i].outputs.fqdn]
    tlsCertificateSecretName: tlsCertificateSecretName
    dnsLabel: '${namePrefix}-${take(unique, 6)}'
    minCapacity: gatewayMinCapacity
  }
}

var apiHost = empty(publicHostName) ? gateway.outputs.publicHostName : publicHostName
var apiUrl = '${empty(tlsCertificateSecretName) ? 'http' : 'https'}://${apiHost}'

module bridge 'modules/bridge.bicep' = if (deployFleetBridge) {
  name: 'bridge'
  params: {
    name: '${namePrefix}-bridge'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    image: bridgeImage
    registryServer: registryServer
    identityId: identity.outputs.id
    keyVaultUri: keyVault.outputs.uri
    cpu: bridgeCpu
    memory: bridgeMemory
    replicas: bridgeReplicas
    settings: [
      { name: 'TELEPHONY_API_URL', value: apiUrl }
      { name: 'BRIDGE_URLS', value: 'http://0.0.0.0:3009' }
      // The bridge exports over OTLP only (README "Telemetry"): it needs an OTLP collector, which is not set up here.
      { name: 'OTEL_SERVICE_NAME', value: 'telephony-bridge' }
    ]
    // Put there by the operator after the API issued it (README "Deploy to Azure").
    secretSettings: [
      { name: 'TELEPHONY_FLEET_KEY', secret: 'telephony-fleet-key' }
    ]
  }
}

output apiUrl string = apiUrl
output gatewayHostName string = gateway.outputs.publicHostName
output gatewayIpAddress string = gateway.outputs.publicIpAddress
output keyVaultName string = keyVault.outputs.name
output postgresServerName string = postgres.outputs.serverName
output storageAccountName string = storage.outputs.name
output containerAppsStaticIp string = environment.outputs.staticIp
