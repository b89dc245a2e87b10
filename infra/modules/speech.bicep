// Azure AI Speech (SPEECH_PROVIDER=azure) reached with Entra ID only: local (key) authentication is
// off, the custom domain (which Entra ID tokens need for fast transcription) is on, and the app's
// identity gets "Cognitive Services Speech User" (transcription, no key listing: "Cognitive
// Services User" could list the keys).
param name string
param location string
param tags object = {}
@allowed(['F0', 'S0'])
param sku string = 'S0'
@description('Principal ID of the app\'s managed identity.')
param principalId string

var speechUser = 'f2dc8367-1007-4938-bd23-fe263f013447'

resource speech 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SpeechServices'
  sku: { name: sku }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource speechUserRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: speech
  name: guid(speech.id, principalId, speechUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', speechUser)
  }
}

output id string = speech.id
output name string = speech.name
output endpoint string = speech.properties.endpoint
output region string = speech.location
