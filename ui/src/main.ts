import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { applyTheme } from './lib/settings.svelte';

// Before the first paint: the OS theme until the saved one is loaded.
applyTheme('system');

const app = mount(App, { target: document.getElementById('app')! });

export default app;
