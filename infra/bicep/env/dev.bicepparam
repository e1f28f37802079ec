// Development: the smallest sensible sizes, HTTP only, two silos (the least that shows a cluster).
// Deploy (README "Deploy to Azure"): the images and the PostgreSQL password come from the environment; the three
// operator secrets too, on the first deployment only.
using '../main.bicep'

param environmentName = 'dev'
param apiImage = readEnvironmentVariable('TELEPHONY_API_IMAGE')
param bridgeImage = readEnvironmentVariable('TELEPHONY_BRIDGE_IMAGE')
param registryServer = readEnvironmentVariable('TELEPHONY_REGISTRY_SERVER', '')

// API_SILO_COUNT overrides the number of API silos (Orleans cluster members).
param apiSiloCount = int(readEnvironmentVariable('API_SILO_COUNT', '2'))
param deployFleetBridge = bool(readEnvironmentVariable('DEPLOY_FLEET_BRIDGE', 'false'))

// B2s, not B1ms: B1ms allows 50 connections, fewer than two silos' pools may open under load.
param postgresSkuName = 'Standard_B2s'
param postgresSkuTier = 'Burstable'
param postgresStorageSizeGB = 32
param postgresBackupRetentionDays = 7
param postgresZoneRedundantHighAvailability = false
param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')

// Free: 20 concurrent connections, 20,000 messages a day, no SLA: enough to try the dashboard.
param signalRSkuName = 'Free_F1'
param signalRCapacity = 1

param logRetentionDays = 30
param gatewayMinCapacity = 0
param keyVaultPurgeProtection = false

param telephonyAdminKey = readEnvironmentVariable('TELEPHONY_ADMIN_KEY', '')
param telephonySecretsKey = readEnvironmentVariable('TELEPHONY_SECRETS_KEY', '')
param telephonyKeyPepper = readEnvironmentVariable('TELEPHONY_KEY_PEPPER', '')
