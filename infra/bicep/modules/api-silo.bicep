// One API replica = one Orleans silo = one Container App with exactly one replica (min = max = 1), as Orleans documents
// for Container Apps: the platform has no per-replica address, so each silo advertises the environment's private IP
// with an exposed silo and gateway port pair that is unique in the environment and routes to this app alone. More
// capacity means more of these apps (main.bicep's apiSiloCount), never more replicas of one.

param name string
param location string
param tags object
param environmentId string
param image string
param registryServer string
param identityId string
param keyVaultUri string
param cpu string
param memory string

@description('Plain settings: [{ name, value }].')
param settings array

@description('Settings read from Key Vault: [{ name (the variable), secret (the Key Vault secret name) }].')
param secretSettings array

@description('Orleans silo name, unique in the cluster.')
param siloName string

@description('The environment\'s private static IP, which this silo advertises.')
param advertisedIp string

@minValue(1024)
@maxValue(65535)
param advertisedSiloPort int

@minValue(1024)
@maxValue(65535)
param advertisedGatewayPort int

// What the container listens on (the image's defaults, and design.md §7's ORLEANS_SILO_PORT / ORLEANS_GATEWAY_PORT).
var httpPort = 3008
var siloPort = 11111
var gatewayPort = 30000

var orleansSettings = [
  { name: 'ORLEANS_SILO_NAME', value: siloName }
  { name: 'ORLEANS_SILO_PORT', value: string(siloPort) }
  { name: 'ORLEANS_GATEWAY_PORT', value: string(gatewayPort) }
  { name: 'ORLEANS_ADVERTISED_IP', value: advertisedIp }
  { name: 'ORLEANS_ADVERTISED_SILO_PORT', value: string(advertisedSiloPort) }
  { name: 'ORLEANS_ADVERTISED_GATEWAY_PORT', value: string(advertisedGatewayPort) }
  { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'service.instance.id=${siloName}' }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        // "External" inside an internal environment: reachable from the virtual network (the Application Gateway,
        // the other silos), never from the internet.
        external: true
        targetPort: httpPort
        transport: 'http'
        allowInsecure: false
        additionalPortMappings: [
          {
            external: true
            targetPort: siloPort
            exposedPort: advertisedSiloPort
          }
          {
            // No Orleans client connects today (the silo is co-hosted, the bridge talks HTTP); mapped so the gateway
            // endpoint in the membership table is a true one.
            external: true
            targetPort: gatewayPort
            exposedPort: advertisedGatewayPort
          }
        ]
      }
      secrets: [for s in secretSettings: {
        name: s.secret
        keyVaultUrl: '${keyVaultUri}secrets/${s.secret}'
        identity: identityId
      }]
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      // Longer than the host's shutdown: the silo leaves the membership table before the platform kills it.
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'api'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(settings, orleansSettings, map(secretSettings, s => { name: s.name, secretRef: s.secret }))
          probes: [
            {
              // Kestrel answers only after the hosted services started, the silo among them (joined the cluster).
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: httpPort
              }
              periodSeconds: 5
              failureThreshold: 36
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: httpPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // No dependency in liveness: a database outage must not restart every silo at once.
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: httpPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output fqdn string = app.properties.configuration.ingress.fqdn
