import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { applyTheme, loadPreferences } from './features/settings/preferences';

// Before the first paint, so a dark desktop never flashes a light window.
applyTheme(loadPreferences().theme);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
