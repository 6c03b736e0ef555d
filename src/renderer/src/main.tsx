import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LacunaClient } from '../../api/client';
import { App } from './App';
import { ClientContext } from './clientContext';
import { pickTransport } from './transport/pickTransport';
import './styles.css';

const client = new LacunaClient(pickTransport());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
