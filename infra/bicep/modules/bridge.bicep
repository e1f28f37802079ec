// The bridge in fleet mode (TELEPHONY_FLEET_KEY): it serves the internet-reachable PBXs whose connections tenants
// stored, one lease per PBX, so replicas of this one app share them without any per-replica address. It only connects
// out (to the PBXs' WebSockets and to the API), so it has no ingress; S-Series pushes are not routed to it (see
// README: the push source check needs the PBX's own address, and behind the gateway every push would come from it).

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

@minValue(1)
@maxValue(10)
param replicas int

@description('Plain settings: [{ name, value }].')
param settings array

@description('Settings read from Key Vault: [{ name (the variable), secret (the Key Vault secret name) }].')
param secretSettings array

var healthPort = 3009

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
      // A graceful stop logs out of every PBX and releases the leases, so another bridge takes them at once.
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'bridge'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(settings, map(secretSettings, s => { name: s.name, secretRef: s.secret }))
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: healthPort
              }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              // Ready while the fleet listing was read within the last 20 s.
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: healthPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: healthPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
          // The spool and CDR marks live on the replica's own disk (BRIDGE_DATA_DIR): a replaced replica loses what
          // it had not forwarded, and the next holder's backfill fetches those calls from the PBX.
        }
      ]
      scale: {
        minReplicas: replicas
        maxReplicas: replicas
      }
    }
  }
}

output name string = app.name
