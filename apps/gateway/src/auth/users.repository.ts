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

  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').where('lower(user.email) = lower(:email)', { email }).getOne();
  }

  /**
   * Creates the user; the first user of the installation becomes its admin. The table lock makes two
   * simultaneous first registrations queue, so exactly one of them is admin. Null when the email is taken.
   */
  createWithRole(user: NewUser): Promise<User | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      const taken = await manager
        .createQueryBuilder(User, 'user')
        .where('lower(user.email) = lower(:email)', { email: user.email })
        .getExists();
      if (taken) return null;
      const isFirst = (await manager.count(User)) === 0;
      return manager.save(manager.create(User, { ...user, role: isFirst ? 'admin' : 'user', isActive: true }));
    });
  }
}
