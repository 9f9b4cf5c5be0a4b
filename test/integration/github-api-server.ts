/**
 * A local stand-in for the three GitHub REST endpoints Ferry's sticky comment uses, on 127.0.0.1
 * and a free port: list an issue's comments (paginated with per_page/page), create a comment,
 * update a comment. It checks the token and records every request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface FakeGithub {
  url: string;
  comments: FakeComment[];
  requests: { method: string; path: string; authorization?: string; accept?: string }[];
  /** Adds comments written by someone else (to exercise pagination and the marker search). */
  seed(issue: number, count: number): void;
  close(): Promise<void>;
}

export async function startFakeGithub(opts: { repo: string; token: string }): Promise<FakeGithub> {
  const comments: FakeComment[] = [];
  const requests: FakeGithub['requests'] = [];
  let nextId = 1000;
  const add = (issue: number, body: string, login: string): FakeComment => {
    const id = nextId++;
    const c: FakeComment = {
      id,
      issue,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.example/${opts.repo}/pull/${issue}#issuecomment-${id}`,
      created_at: '2024-05-01T10:00:00Z',
      updated_at: '2024-05-01T10:00:00Z',
    };
    comments.push(c);
    return c;
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization, accept: String(req.headers.accept ?? '') });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { message: 'Bad credentials' });
    const prefix = `/repos/${opts.repo}/issues/`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found' });
    const rest = url.pathname.slice(prefix.length);
    const list = /^(\d+)\/comments$/.exec(rest);
    const one = /^comments\/(\d+)$/.exec(rest);
    if (list && req.method === 'GET') {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const mine = comments.filter((c) => c.issue === Number(list[1]));
      return send(200, mine.slice((page - 1) * perPage, page * perPage));
    }
    if (list && req.method === 'POST') {
      const body = (await readJson(req)) as { body?: string };
      if (typeof body.body !== 'string') return send(422, { message: 'body is missing' });
      return send(201, add(Number(list[1]), body.body, 'github-actions[bot]'));
    }
    if (one && req.method === 'PATCH') {
      const c = comments.find((x) => x.id === Number(one[1]));
      if (!c) return send(404, { message: 'Not Found' });
      const body = (await readJson(req)) as { body?: string };
      if (typeof body.body !== 'string') return send(422, { message: 'body is missing' });
      c.body = body.body;
      c.updated_at = '2024-05-01T11:00:00Z';
      return send(200, c);
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    seed(issue, count) {
      for (let i = 0; i < count; i++) add(issue, `LGTM ${i}`, `reviewer-${i % 3}`);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}
