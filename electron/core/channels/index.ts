// The channels: every way a signed list can reach the client, behind one interface.
export type { Channel, ChannelFetchOptions, ChannelFetchResult, ChannelSettings, ChannelStatus, ProxyAgentOption } from './types.ts';
export { CHANNEL_STATUSES } from './types.ts';
export { ChannelSpecError, parseChannelSpec } from './spec.ts';
export { DEFAULT_MAX_BYTES, DEFAULT_SETTINGS, resolveSettings } from './settings.ts';
export { fetchAll, type FetchAllOptions } from './fetch-all.ts';
export { fromBytes, fromText, LIST_EXTENSIONS } from './local.ts';
export { httpProxyAgents } from './proxy-agent.ts';
export {
  DEFAULT_MAX_ANSWER_BYTES, dnsPointerRecord, dnsTxtRecords, dnsZoneFragment, listId, type DnsTxtOptions, type TxtRecord,
} from './dns-txt-format.ts';
