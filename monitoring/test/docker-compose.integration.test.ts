import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PORTS, findBinary, type StackService } from '../../scripts/lib/stack';
import { MONITORING, monitoringPath, readYaml, ROOT } from './helpers/monitoringFiles';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// docker-compose.yml cannot run here (no Docker): these checks hold it to the files it mounts,
// to prometheus.yml's targets and alertmanager.yml's secrets, and to the versions tested here.

const compose = readYaml<any>(monitoringPath('docker-compose.yml'));
const prometheus = readYaml<any>(monitoringPath('prometheus.yml'));

/** Which stack service each compose host is, for its default port. */
const HOSTS: Record<string, StackService> = {
  marketplace: 'demo',
  'postgres-exporter': 'postgresExporter',
  'redis-exporter': 'redisExporter',
  'node-exporter': 'nodeExporter',
  alertmanager: 'alertmanager',
  prometheus: 'prometheus',
};

/** Version printed by a binary's --version (some print it on stderr, the redis exporter in a log line). */
function binaryVersion(names: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(findBinary(names), ['--version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      const match = /(?:version |Exporter )v?(\d+\.\d+\.\d+)/.exec(stdout + stderr);
      if (match === null) reject(error ?? new Error(`no version in: ${stdout}${stderr}`));
      else resolve(match[1]!);
    });
  });
}

const flag = (service: any, name: string): string | undefined =>
  (service.command as string[]).find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const mountOf = (service: any, target: string): string | undefined =>
  (service.volumes as string[]).map((volume) => volume.split(':')).find(([, to]) => to === target)?.[0];

describe('monitoring/docker-compose.yml', () => {
  it('runs a service at every host:port that prometheus.yml scrapes or alerts to', () => {
    const targets: string[] = [
      ...prometheus.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((group: any) => group.targets)),
      ...prometheus.alerting.alertmanagers.flatMap((am: any) =>
        am.static_configs.flatMap((group: any) => group.targets),
      ),
    ];
    for (const target of targets) {
      const [host, port] = target.split(':');
      expect(Object.keys(compose.services)).toContain(host);
      expect([target, Number(port)]).toEqual([target, DEFAULT_PORTS[HOSTS[host!] as StackService]]);
    }
    expect(compose.services.marketplace.environment.PORT).toBe(String(DEFAULT_PORTS.demo));
  });

  it('mounts only files that exist', () => {
    for (const service of Object.values<any>(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./'))
          expect([volume, existsSync(path.join(MONITORING, source))]).toEqual([volume, true]);
      }
    }
    const build = compose.services.marketplace.build;
    expect(existsSync(path.join(MONITORING, build.context, 'package.json'))).toBe(true);
    const dockerfile = readFileSync(path.join(MONITORING, build.context, build.dockerfile), 'utf8');
    const demo = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'marketplace-service', 'package.json'), 'utf8'));
    expect(dockerfile).toContain(`CMD ["node", "examples/marketplace-service/${demo.main}"]`);
  });

  it('gives Prometheus its config beside its rule files, with 15 days of retention', () => {
    const service = compose.services.prometheus;
    const config = flag(service, 'config.file')!;
    expect(mountOf(service, config)).toBe('./prometheus.yml');
    for (const rules of prometheus.rule_files)
      expect(mountOf(service, path.posix.join(path.posix.dirname(config), rules))).toBe(`./${rules}`);
    expect(flag(service, 'storage.tsdb.retention.time')).toBe('15d');
  });

  it("mounts each of alertmanager.yml's secret files as a compose secret from monitoring/secrets/, which git ignores", () => {
    const service = compose.services.alertmanager;
    expect(mountOf(service, flag(service, 'config.file')!)).toBe('./alertmanager.yml');
    const files = [...readFileSync(monitoringPath('alertmanager.yml'), 'utf8').matchAll(/_file: (\S+)/g)].map(
      (m) => m[1]!,
    );
    const names = [...new Set(files.map((file) => path.posix.basename(file)))].sort();
    for (const file of files) expect(file).toBe(`/run/secrets/${path.posix.basename(file)}`);
    expect([...service.secrets].sort()).toEqual(names);
    expect(Object.keys(compose.secrets).sort()).toEqual(names);
    for (const name of names) {
      expect(compose.secrets[name]).toEqual({ file: `./secrets/${name}` });
      expect(
        execFileSync('git', ['check-ignore', path.join(MONITORING, 'secrets', name)], { cwd: ROOT })
          .toString()
          .trim(),
      ).not.toBe('');
    }
  });

  it('points the demo and the exporters at the same Postgres and Redis', () => {
    const { DATABASE_URL, REDIS_URL } = compose.services.marketplace.environment;
    const database = new URL(DATABASE_URL);
    const exporterDsn = new URL(compose.services['postgres-exporter'].environment.DATA_SOURCE_NAME);
    expect(compose.services).toHaveProperty(database.hostname);
    expect([exporterDsn.host, exporterDsn.pathname]).toEqual([database.host, database.pathname]);
    expect(compose.services['redis-exporter'].environment.REDIS_ADDR).toBe(REDIS_URL);
    expect(compose.services).toHaveProperty(new URL(REDIS_URL).hostname);
  });

  it.each([
    ['prometheus', ['prometheus']],
    ['alertmanager', ['prometheus-alertmanager', 'alertmanager']],
    ['node-exporter', ['prometheus-node-exporter', 'node_exporter']],
    ['postgres-exporter', ['prometheus-postgres-exporter', 'postgres_exporter']],
    ['redis-exporter', ['prometheus-redis-exporter', 'redis_exporter']],
  ])('runs %s at the version the tests run', async (service, binaries) => {
    const version = await binaryVersion(binaries);
    expect(compose.services[service].image).toMatch(new RegExp(`:v${version.replace(/\./g, '\\.')}$`));
  });
});
