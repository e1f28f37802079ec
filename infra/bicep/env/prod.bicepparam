// Production: three silos (losing one leaves two), zone-redundant PostgreSQL, Standard SignalR, HTTPS.
// Before the first deployment: a DNS name for publicHostName and its certificate imported into the vault (README).
using '../main.bicep'

param environmentName = 'prod'
param apiImage = readEnvironmentVariable('TELEPHONY_API_IMAGE')
param bridgeImage = readEnvironmentVariable('TELEPHONY_BRIDGE_IMAGE')
param registryServer = readEnvironmentVariable('TELEPHONY_REGISTRY_SERVER', '')

// API_SILO_COUNT overrides the number of API silos (Orleans cluster members).
param apiSiloCount = int(readEnvironmentVariable('API_SILO_COUNT', '3'))
param apiCpu = '1.0'
param apiMemory = '2Gi'
param deployFleetBridge = bool(readEnvironmentVariable('DEPLOY_FLEET_BRIDGE', 'false'))
param bridgeReplicas = 2

param postgresSkuName = 'Standard_D2ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageSizeGB = 128
param postgresBackupRetentionDays = 35
param postgresZoneRedundantHighAvailability = true
param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')

param signalRSkuName = 'Standard_S1'
param signalRCapacity = 1

param logRetentionDays = 90
param corsOrigins = [
  'https://admin.foodflow.example'
]
param publicHostName = 'telephony.foodflow.example'
param tlsCertificateSecretName = 'telephony-public-tls'
param gatewayMinCapacity = 1
param keyVaultPurgeProtection = true

param telephonyAdminKey = readEnvironmentVariable('TELEPHONY_ADMIN_KEY', '')
param telephonySecretsKey = readEnvironmentVariable('TELEPHONY_SECRETS_KEY', '')
param telephonyKeyPepper = readEnvironmentVariable('TELEPHONY_KEY_PEPPER', '')
