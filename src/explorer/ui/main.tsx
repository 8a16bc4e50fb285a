// The explorer page: reads what the HTML embeds (a trace, or where the live explorer's API is) and
// renders the app.
import { render } from 'preact';
import type { ExplorerBoot } from '../document.ts';
import { App } from './app.tsx';
import './style.css';

const boot = JSON.parse(document.getElementById('interleave-data')!.textContent!) as ExplorerBoot;
render(<App boot={boot} />, document.getElementById('app')!);
