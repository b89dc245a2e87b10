// The image an existing container app runs (azd's pattern: a re-provision keeps what `azd deploy`
// put there instead of going back to the placeholder).
param name string
param exists bool

resource existingApp 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

output image string = exists ? existingApp.properties.template.containers[0].image : ''
