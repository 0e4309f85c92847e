import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { User } from './user.entity';

export type NewUser = Pick<User, 'email' | 'hashedPassword' | 'fullName' | 'timezone'>;

@Injectable()
export class UsersRepository {
  private readonly users: Repository<User>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(User);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** Just what authenticating a request needs (every request does it): no password hash, no profile. */
  findIdentity(id: string): Promise<Pick<User, 'id' | 'role' | 'timezone' | 'isActive'> | null> {
    return this.users.findOne({ where: { id }, select: { id: true, role: true, timezone: true, isActive: true } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').where('lower(user.email) = lower(:email)', { email }).getOne();
  }

  /**
   * Creates the user; the first user of the installation becomes its admin, and is let in even when
   * registration is closed. The table lock makes two simultaneous first registrations queue, so exactly one
   * of them is admin.
   */
  createWithRole(user: NewUser, { registrationOpen }: { registrationOpen: boolean }): Promise<User | 'taken' | 'closed'> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      const isFirst = (await manager.count(User)) === 0;
      if (!isFirst && !registrationOpen) return 'closed';
      const taken = await manager
        .createQueryBuilder(User, 'user')
        .where('lower(user.email) = lower(:email)', { email: user.email })
        .getExists();
      if (taken) return 'taken';
      return manager.save(manager.create(User, { ...user, role: isFirst ? 'admin' : 'user', isActive: true }));
    });
  }

  async update(id: string, changes: Partial<Pick<User, 'fullName' | 'timezone' | 'hashedPassword'>>): Promise<User> {
    if (Object.keys(changes).length > 0) await this.users.update({ id }, changes);
    return this.users.findOneByOrFail({ id });
  }
}
