// Types of stack.js for the TypeScript tests (monitoring/test). See stack.js for the behaviour.

/** One notification received by the sink. */
export interface Notification {
  /** Alertmanager receiver name. */
  readonly receiver: string;
  readonly integration: 'webhook' | 'pagerduty' | 'slack' | 'email' | string;
  /** HTTP request headers, or the e-mail's headers (lower-case names). */
  readonly headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; for e-mail `{ from, to, data }`. */
  readonly body: any;
  /** One line for humans: status and alert names. */
  readonly title: string;
}

export interface NotificationSink {
  readonly url: string;
  /** `host:port` of the SMTP side. */
  readonly smtp: string;
  readonly notifications: readonly Notification[];
  on(event: 'notification', listener: (notification: Notification) => void): void;
  waitFor(predicate: (notification: Notification) => boolean, timeoutMs: number): Promise<Notification>;
  close(): Promise<void>;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

export interface ServiceHandle {
  readonly name: string;
  readonly exited: Promise<ExitInfo>;
  /** Whether stop() was called: an exit before that is unexpected. */
  readonly stopping: boolean;
  stop(): Promise<void>;
}

export type StackService =
  'demo' | 'prometheus' | 'alertmanager' | 'nodeExporter' | 'postgresExporter' | 'redisExporter';

export interface StackOptions {
  workDir: string;
  ports?: Partial<Record<StackService, number>>;
  speedUp?: number;
  retention?: string;
  demoEnv?: Record<string, string>;
  secretsDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  onUnexpectedExit?: (name: string, info: ExitInfo) => void;
}

export interface Stack {
  readonly workDir: string;
  /** The local notification sink; undefined when `secretsDir` was given. */
  readonly sink: NotificationSink | undefined;
  readonly urls: {
    readonly demo: string;
    readonly metrics: string;
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly nodeExporter: string;
    readonly postgresExporter: string;
    readonly redisExporter: string;
  };
  restartDemo(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export declare const DEFAULT_PORTS: Readonly<Record<StackService, number>>;
export declare function findBinary(names: readonly string[]): string;
/** `preferred` if free on loopback, else a free port. */
export declare function choosePort(preferred?: number): Promise<number>;
/** Whether `url` answers 2xx within 2 s. */
export declare function isReady(url: string): Promise<boolean>;
export declare function startStack(options: StackOptions): Promise<Stack>;
export declare function startAlertmanager(options: {
  workDir: string;
  port: number;
  sink?: Pick<NotificationSink, 'url' | 'smtp'>;
  secretsDir?: string;
  speedUp?: number;
  logDir?: string;
}): Promise<ServiceHandle>;
export declare function startNotificationSink(): Promise<NotificationSink>;
