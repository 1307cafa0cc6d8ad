import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@wwb/http';
import { ConsoleAssetsStore, consoleNotBuilt } from './console-assets.store';
import {
  cacheControlOf,
  CONSOLE_SECURITY_HEADERS,
  consoleTarget,
  contentTypeOf,
} from './console-response.policy';

export const CONSOLE_MOUNT = '/console';

/**
 * Serves the web console (a single-page app) at /console: its built files, and index.html for
 * every client route. Open to all: the page holds no data, the API it calls checks the session.
 */
@ApiExcludeController()
@Controller(CONSOLE_MOUNT.slice(1))
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssetsStore) {}

  @Get(['', '*path'])
  async serve(@Req() req: Request, @Res() res: Response): Promise<void> {
    const target = consoleTarget(req.path.slice(CONSOLE_MOUNT.length));
    if (target.kind === 'invalid') throw AppError.notFound('Console file');
    if (target.kind === 'index') {
      const body = await this.assets.index();
      this.headers(res, 'index.html', cacheControlOf(target));
      res.status(200).setHeader('Content-Length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const file = await this.assets.file(target.path);
    if (!file) {
      if (!(await this.assets.built())) throw consoleNotBuilt(this.assets.root);
      throw AppError.notFound('Console file');
    }
    this.headers(res, target.path, cacheControlOf(target));
    res.status(200).setHeader('Content-Length', file.size);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(file.open(), res);
    } catch (err) {
      // Once bytes are out the status cannot change: cut the response, the browser retries.
      if (!res.headersSent) throw err;
      res.destroy();
    }
  }

  private headers(res: Response, path: string, cacheControl: string): void {
    for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Type', contentTypeOf(path));
    res.setHeader('Cache-Control', cacheControl);
  }
}
