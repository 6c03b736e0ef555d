import { createContext, useContext } from 'react';
import type { LacunaClient } from '../../api/client';

export const ClientContext = createContext<LacunaClient | null>(null);

/** The typed API client; every component talks to the engine through it and nothing else. */
export function useClient(): LacunaClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
