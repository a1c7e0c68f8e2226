// Every string the window shows, in English. ar.ts has the same keys.
export const en = {
  appName: 'CubeDesk',
  conversations: 'Conversations',
  noConversations: 'No conversations yet.',
  opening: 'Opening your archive…',
  welcomeTitle: 'Welcome to CubeDesk',
  welcomeBody:
    'All your WhatsApp customer conversations, on this computer: answer them, send templates when the 24-hour window has closed, and search years of history even without a network.',
  connectAccount: 'Connect your CubeConnect account',
  exploreDemo: 'Explore with demo data',
  connectComing: 'Connecting an account arrives in the next update. Nothing was changed.',
  demoComing: 'Demo data arrives in the next update. Nothing was changed.',
  coreStatus: 'Connected to the CubeDesk core v{version} · archive schema {schema} · data folder {dataDir}',
  coreErrorTitle: "CubeDesk can't open your archive",
  coreErrorNothingDeleted: 'Nothing was deleted or changed. Fix the problem above and start CubeDesk again.',
  errorCode: 'Error code',
} as const;

export type StringKey = keyof typeof en;
