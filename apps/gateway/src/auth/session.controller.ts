import { Controller, Delete, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, CurrentPrincipal } from './auth.guard';
import { bearerToken, Principal } from './authenticator';
import { sessionSetCookie } from './session-cookie';

/**
 * Secure when the browser reached us over HTTPS: `request.protocol` believes X-Forwarded-Proto only from
 * TRUST_PROXY.
 */
function overHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
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
  open(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    // AuthGuard let the request in on its Authorization header (this route takes no cookie), so it holds the token.
    const token = bearerToken(request.headers.authorization) as string;
    void reply.header('set-cookie', sessionSetCookie(token, { secure: overHttps(request), expires: principal.expiresAt }));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear the hh_session cookie (sign out of the managed apps)' })
  @ApiNoContentResponse({ description: 'Set-Cookie clearing hh_session' })
  close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('set-cookie', sessionSetCookie(null, { secure: overHttps(request) }));
  }
}
