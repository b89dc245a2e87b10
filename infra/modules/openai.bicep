// Azure OpenAI (SUMMARY_PROVIDER=azure-openai) with one chat deployment, reached with Entra ID only:
// local (key) authentication is off and the app's identity gets "Cognitive Services OpenAI User".
param name string
param location string
param tags object = {}
@description('Principal ID of the app\'s managed identity.')
param principalId string
param deploymentName string
param modelName string
param modelVersion string
@description('Deployment type, e.g. GlobalStandard or Standard (what the region offers for the model).')
param deploymentSku string
@description('Thousands of tokens per minute.')
param capacity int

var openAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource openai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: openai
  name: deploymentName
  sku: {
    name: deploymentSku
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource openAiUserRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: openai
  name: guid(openai.id, principalId, openAiUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUser)
  }
}

output id string = openai.id
output name string = openai.name
output endpoint string = openai.properties.endpoint
output deploymentName string = deployment.name
