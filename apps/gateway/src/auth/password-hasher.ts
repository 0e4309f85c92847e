import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcryptjs';

const COST = 11;

@Injectable()
export class PasswordHasher {
  /** A hash of a random password, compared against when the account does not exist, so timing tells nothing. */
  private readonly decoy = bcrypt.hashSync('decoy-password-for-unknown-accounts', COST);

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, COST);
  }

  async verify(password: string, hashed: string | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(password, hashed ?? this.decoy);
    return matches && hashed !== undefined;
  }
}
