/** The chat task (LGVI-I's interactive removal): a conversation in, an answer and a plain instruction out. */
export type { ChatDecision, ChatMessage, ChatResponderId, SceneObject } from './types';
export { chatTurn, endpointModel, type ChatModel, type ChatTurnInput } from './chatTurn';
export { plainInstruction, MAX_CHAT_MESSAGE } from './plainInstruction';
export { describeScene, sceneObjects } from './sceneDescription';
export { firstFrameObjects, firstFrameScene } from './firstFrameScene';
export { DEFAULT_ENDPOINT_SETTINGS, endpointChat, type EndpointSettings } from './openAiEndpoint';
export { readModelReply, REPLY_SCHEMA, SYSTEM_PROMPT, twoStageMessages } from './twoStagePrompt';
