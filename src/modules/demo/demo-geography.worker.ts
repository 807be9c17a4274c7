/** Runs the demo geography generator on another thread for the reference towns (see pregenerateDemoGeography). */
import { parentPort } from 'node:worker_threads';
import { districtOutline } from '../geography/index.js';
import { REFERENCE_UNITS, TOWN_KINDS, type TownKind } from '../organization/index.js';
import { generateDemoGeography } from './demo-geography.js';

const towns = REFERENCE_UNITS.filter((u) => (TOWN_KINDS as readonly string[]).includes(u.kind)).map((u) => ({ code: u.code, name: u.name, kind: u.kind as TownKind }));
parentPort?.postMessage(generateDemoGeography(districtOutline().geometry.coordinates, towns));
