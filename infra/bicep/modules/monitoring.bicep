// Log Analytics workspace (Container Apps console and system logs) and a workspace-based Application Insights
// component: the API exports its traces, metrics and logs to it (APPLICATIONINSIGHTS_CONNECTION_STRING).

param namePrefix string
param location string
param tags object

@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${namePrefix}-logs'
  location: location
  tags: tags
  properties: {
    retentionInDays: retentionInDays
    sku: {
      name: 'PerGB2018'
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

output workspaceName string = workspace.name

// Not a secret (Microsoft documents the connection string as an identifier, not a credential), so it reaches the apps
// as a plain setting rather than through Key Vault.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
