import { Controller, Get, INestApplication, Req, Res } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Express, Request, Response } from 'express';
import { Agent, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressHttpAdapter } from './express-http.adapter';

@Controller('probe')
class ProbeController {
  @Get()
  probe(@Req() req: Request, @Res() res: Response): void {
    // Express's own methods on both objects: they come from app.request / app.response.
    res
      .status(207)
      .set('X-Probe', req.get('x-probe') ?? '')
      .json({ path: req.path, ip: typeof req.ip });
  }
}

function get(port: number, agent: Agent): Promise<{ status: number; header?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path: '/probe', agent, headers: { 'X-Probe': 'p1' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          header: res.headers['x-probe'] as string | undefined,
          body: JSON.parse(text) as unknown,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ExpressHttpAdapter', () => {
  let app: INestApplication;
  let express: Express;
  let port: number;
  /** What each request and response was, as the server handed them over (before Express ran). */
  const seen: { reqProto: boolean; resProto: boolean; nodeTypes: boolean }[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const adapter = new ExpressHttpAdapter();
    app = moduleRef.createNestApplication(adapter, { logger: false });
    express = adapter.getInstance<Express>();
    const server = app.getHttpServer() as Server;
    // Placed before Express's listener: it sees the objects as the server built them.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.push({
        reqProto: Object.getPrototypeOf(req) === express.request,
        resProto: Object.getPrototypeOf(res) === express.response,
        nodeTypes: req instanceof IncomingMessage && res instanceof ServerResponse,
      });
    });
    await app.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it('builds each request and response with Express prototypes, so Express has nothing to change', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Two on one keep-alive connection: the second request is built by the same parser.
      for (let i = 0; i < 2; i++) {
        const res = await get(port, agent);
        expect(res).toEqual({ status: 207, header: 'p1', body: { path: '/probe', ip: 'string' } });
      }
    } finally {
      agent.destroy();
    }
    expect(seen).toEqual([
      { reqProto: true, resProto: true, nodeTypes: true },
      { reqProto: true, resProto: true, nodeTypes: true },
    ]);
  });
});
