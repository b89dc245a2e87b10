// The app's user-assigned managed identity: the web app and the worker reach Storage, Speech,
// Azure OpenAI and the registry with it (DefaultAzureCredential picks it by AZURE_CLIENT_ID).
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
