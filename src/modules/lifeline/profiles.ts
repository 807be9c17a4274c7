/**
 * The shipped sensor profiles: default alarm rules per kind of measurement, added at start when missing and then
 * owned by the deployment (edited in the workbench; a shipped profile is never overwritten).
 *
 * The levels are starting points, not a standard: the multi-level thresholds of DB34/T 4021-2021 (the Anhui
 * lifeline monitoring standard behind the Hefei model) could not be read for this project (domain.md §4.3,
 * "verify"). They follow common practice — combustible-gas detectors alarm at 20–25 %LEL and 50 %LEL; city mains
 * run at roughly 0.2–0.4 MPa — and each operator sets its own per profile.
 */
import type { Quantity } from './quantity.rules.js';

export interface ProfileSpec {
  readonly code: string;
  readonly name: string;
  readonly quantity: Quantity;
  readonly rules: readonly unknown[];
}

const silence = (factor = 3) => ({ key: 'silence', kind: 'silence', factor, grade: 4 });

export const REFERENCE_PROFILES: readonly ProfileSpec[] = [
  {
    code: 'gas-methane',
    name: '燃气·可燃气体浓度（相邻地下空间）',
    quantity: 'methane',
    rules: [
      {
        key: 'high',
        kind: 'threshold',
        direction: 'above',
        levels: [
          { grade: 4, value: 5 },
          { grade: 3, value: 10 },
          { grade: 2, value: 25 },
          { grade: 1, value: 50 },
        ],
        count: 2,
        hysteresis: 2,
        clearForSeconds: 300,
      },
      { key: 'rise', kind: 'rate', direction: 'rise', windowSeconds: 300, levels: [{ grade: 3, value: 2 }, { grade: 2, value: 5 }], count: 2, clearForSeconds: 300 },
      silence(),
    ],
  },
  {
    code: 'water-pressure',
    name: '供水·管网压力',
    quantity: 'pressure',
    rules: [
      {
        key: 'low',
        kind: 'threshold',
        direction: 'below',
        levels: [
          { grade: 4, value: 200 },
          { grade: 3, value: 160 },
          { grade: 2, value: 120 },
          { grade: 1, value: 80 },
        ],
        forSeconds: 60,
        hysteresis: 10,
        clearForSeconds: 300,
      },
      { key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 3, value: 600 }, { grade: 2, value: 700 }], forSeconds: 60, hysteresis: 10 },
      // A burst main shows as a fast pressure drop before the level falls far.
      { key: 'fall', kind: 'rate', direction: 'fall', windowSeconds: 120, levels: [{ grade: 3, value: -30 }, { grade: 2, value: -60 }], count: 2, clearForSeconds: 300 },
      silence(),
    ],
  },
  {
    code: 'water-flow',
    name: '供水·管段流量（相对基线）',
    quantity: 'flow',
    rules: [
      { key: 'drop', kind: 'deviation', direction: 'below', levels: [{ grade: 4, value: -3 }, { grade: 3, value: -6 }, { grade: 2, value: -15 }], forSeconds: 10, hysteresis: 1, clearForSeconds: 30 },
      { key: 'surge', kind: 'deviation', direction: 'above', levels: [{ grade: 4, value: 10 }, { grade: 3, value: 20 }, { grade: 2, value: 40 }], forSeconds: 60, hysteresis: 2, clearForSeconds: 120 },
      silence(),
    ],
  },
  {
    code: 'drainage-level',
    name: '排水·管网液位',
    quantity: 'water_level',
    rules: [
      {
        key: 'high',
        kind: 'threshold',
        direction: 'above',
        levels: [
          { grade: 4, value: 1.2 },
          { grade: 3, value: 1.6 },
          { grade: 2, value: 2.0 },
          { grade: 1, value: 2.4 },
        ],
        count: 2,
        hysteresis: 0.1,
        clearForSeconds: 600,
      },
      { key: 'surge', kind: 'rate', direction: 'rise', windowSeconds: 300, levels: [{ grade: 3, value: 0.1 }, { grade: 2, value: 0.25 }], count: 2, clearForSeconds: 600 },
      silence(),
    ],
  },
  {
    code: 'bridge-strain',
    name: '桥梁·结构应变',
    quantity: 'strain',
    rules: [
      {
        key: 'high',
        kind: 'threshold',
        direction: 'above',
        levels: [
          { grade: 4, value: 30 },
          { grade: 3, value: 60 },
          { grade: 2, value: 90 },
          { grade: 1, value: 120 },
        ],
        forSeconds: 10,
        hysteresis: 5,
        clearForSeconds: 300,
      },
      // A support settling or a member giving way shows as a step in strain.
      { key: 'step', kind: 'rate', direction: 'rise', windowSeconds: 60, levels: [{ grade: 3, value: 20 }, { grade: 2, value: 40 }], count: 3, clearForSeconds: 300 },
      silence(),
    ],
  },
  {
    code: 'bridge-displacement',
    name: '桥梁·位移',
    quantity: 'displacement',
    rules: [
      { key: 'high', kind: 'threshold', direction: 'above', levels: [{ grade: 4, value: 10 }, { grade: 3, value: 20 }, { grade: 2, value: 30 }, { grade: 1, value: 50 }], forSeconds: 30, hysteresis: 1 },
      silence(),
    ],
  },
  {
    code: 'tunnel-oxygen',
    name: '综合管廊·氧气含量',
    quantity: 'oxygen',
    rules: [
      { key: 'low', kind: 'threshold', direction: 'below', levels: [{ grade: 3, value: 19.5 }, { grade: 2, value: 18 }, { grade: 1, value: 16 }], count: 2, hysteresis: 0.3 },
      silence(),
    ],
  },
];
