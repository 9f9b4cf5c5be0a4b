import { compareCodePoints } from '../model/compare.js';

/** The part of an environment the chain is made of. */
export interface ChainLink {
  name: string;
  from?: string;
}

export interface ChainProblem {
  message: string;
  /** JSON Pointer into the config of the key the problem is reported at. */
  pointer: string;
}

export interface ChainResult {
  /** Environment names in promotion order; present only when the chain is valid. */
  order?: string[];
  problems: ChainProblem[];
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Checks that the environments form one line (`dev -> staging -> prod`) and returns them in that
 * order. Refuses, naming the environments: self-links, a `from` naming no environment, branches
 * (two environments promoted from one), no start or several starts, loops and disconnected parts.
 * Names are assumed unique (checked before).
 */
export function orderChain(links: readonly ChainLink[]): ChainResult {
  const problems: ChainProblem[] = [];
  const indexOf = new Map(links.map((l, i) => [l.name, i]));
  const fromPointer = (name: string): string => `/environments/${indexOf.get(name)}/from`;
  const declared = links.map((l) => l.name);

  // The promotion edges that point at a real, different environment.
  const parentOf = new Map<string, string>();
  for (const link of links) {
    if (link.from === undefined) continue;
    if (link.from === link.name) {
      problems.push({ pointer: fromPointer(link.name), message: `environment ${link.name} is promoted from itself (from: ${link.from})` });
    } else if (!indexOf.has(link.from)) {
      problems.push({
        pointer: fromPointer(link.name),
        message: `environment ${link.name} is promoted from ${link.from}, which is not declared (environments: ${declared.join(', ')})`,
      });
    } else {
      parentOf.set(link.name, link.from);
    }
  }

  const followers = new Map<string, string[]>();
  for (const link of links) {
    const parent = parentOf.get(link.name);
    if (parent !== undefined) followers.set(parent, [...(followers.get(parent) ?? []), link.name]);
  }
  for (const [parent, names] of followers) {
    if (names.length < 2) continue;
    problems.push({
      pointer: fromPointer(names[1]),
      message: `${listNames(names)} ${names.length === 2 ? 'both' : 'all'} follow ${parent}: the chain must be one line, each environment promoted from the previous one`,
    });
  }

  const roots = links.filter((l) => l.from === undefined).map((l) => l.name);
  if (roots.length === 0 && links.length > 0) {
    problems.push({
      pointer: '/environments',
      message: `no environment starts the chain: every one of ${listNames(declared)} has a \`from\`; the first environment must have none`,
    });
  } else if (roots.length > 1) {
    problems.push({
      pointer: `/environments/${indexOf.get(roots[1])}`,
      message: `${listNames(roots)} ${roots.length === 2 ? 'both have' : 'all have'} no \`from\`: exactly one environment starts the chain; give the others the environment they are promoted from`,
    });
  }

  for (const loop of findLoops(declared, parentOf)) {
    problems.push({ pointer: fromPointer(loop[0]), message: `environments form a loop: ${loop.join(' -> ')} -> ${loop[0]}` });
  }

  if (problems.length > 0) return { problems };

  const order: string[] = [];
  for (let cur: string | undefined = roots[0]; cur !== undefined; cur = followers.get(cur)?.[0]) order.push(cur);
  if (order.length < links.length) {
    // Unreachable with the checks above (every other shape is a loop or a branch); kept as a guard.
    const missing = declared.filter((n) => !order.includes(n));
    return {
      problems: [{ pointer: fromPointer(missing[0]), message: `${listNames(missing)} ${missing.length === 1 ? 'is' : 'are'} not connected to the chain starting at ${order[0]}` }],
    };
  }
  return { order, problems };
}

/**
 * Loops in the `from` graph (each environment has at most one parent), each written in promotion
 * order and starting at its smallest name, e.g. `['dev', 'staging']` for dev -> staging -> dev.
 */
function findLoops(names: readonly string[], parentOf: ReadonlyMap<string, string>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const loops: string[][] = [];
  for (const start of names) {
    const path: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 'active');
      path.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 'active') {
      // path holds child -> parent steps; the loop is the tail from `cur`, reversed for promotion order.
      const loop = path.slice(path.indexOf(cur)).reverse();
      const first = loop.indexOf([...loop].sort(compareCodePoints)[0]);
      loops.push([...loop.slice(first), ...loop.slice(0, first)]);
    }
    for (const n of path) state.set(n, 'done');
  }
  return loops;
}
