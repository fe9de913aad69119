// Mounts the Svelte app into index.html. In Vite's "mock" mode only (screenshots, no Rust), a fake
// backend is installed first; in production builds that branch and its module are removed.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

if (import.meta.env.MODE === 'mock') {
  const { installMock } = await import('./dev/mock');
  installMock();
}

export default mount(App, { target });
