import { Controller, Delete, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { AuthGuard, CurrentPrincipal } from './auth.guard';
import { bearerToken, Principal } from './authenticator';
import { SESSION_COOKIE } from './session-cookie';

/**
 * httpOnly (no script reads it), SameSite=Lax (another site's forms and frames never carry it), Secure when
 * the browser reached us over HTTPS (per `req.secure`, which believes X-Forwarded-Proto only from TRUST_PROXY).
 */
function cookieOptions(request: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: request.secure };
}

/** The browser session for managed apps: `/apps/<id>/` in an iframe cannot send the bearer header. */
@Controller('api/auth/session')
export class SessionController {
  @Post()
  @HttpCode(204)
  @UseGuards(AuthGuard)
  @ApiOperation({
    summary: 'Put the bearer token in the hh_session cookie, for /apps/<id>/ in the browser',
    description: 'The cookie lasts as long as the token. Only the app proxy and its waiting page accept it, not the rest of the API.',
  })
  @ApiNoContentResponse({ description: 'Set-Cookie: hh_session (httpOnly, SameSite=Lax, Path=/, Secure over HTTPS)' })
  open(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    // AuthGuard let the request in on its Authorization header (this route takes no cookie), so it holds the token.
    const token = bearerToken(request.headers.authorization) as string;
    response.cookie(SESSION_COOKIE, token, { ...cookieOptions(request), ...(principal.expiresAt ? { expires: principal.expiresAt } : {}) });
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear the hh_session cookie (sign out of the managed apps)' })
  @ApiNoContentResponse({ description: 'Set-Cookie clearing hh_session' })
  close(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.clearCookie(SESSION_COOKIE, cookieOptions(request));
  }
}
