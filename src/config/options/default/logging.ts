// [DEFAULT]: logging (oslo.log's options, under the names and defaults it uses).
import { boolOpt, intOpt, listOpt, pathOpt, strOpt } from '../../opt.ts';

export const loggingOpts = {
  debug: boolOpt({
    help: 'Log at DEBUG level instead of INFO.',
    default: false,
    mutable: true,
  }),
  log_config_append: pathOpt({
    help: 'A logging configuration file; when set, the other logging options are ignored.',
    mutable: true,
  }),
  log_date_format: strOpt({
    help: 'strftime format of %(asctime)s in log records.',
    default: '%Y-%m-%d %H:%M:%S',
  }),
  log_file: pathOpt({
    help: 'Log to this file; relative paths are under log_dir. Unset means standard error.',
    deprecated: [{ name: 'logfile' }],
  }),
  log_dir: pathOpt({
    help: 'Directory relative log_file paths are resolved against.',
    deprecated: [{ name: 'logdir' }],
  }),
  watch_log_file: boolOpt({
    help: 'Reopen the log file when something else moves or removes it.',
    default: false,
  }),
  use_syslog: boolOpt({ help: 'Also log to syslog.', default: false }),
  use_journal: boolOpt({ help: 'Log to the systemd journal.', default: false }),
  syslog_log_facility: strOpt({ help: 'Syslog facility to log under.', default: 'LOG_USER' }),
  use_json: boolOpt({ help: 'Write log records as JSON.', default: false }),
  use_stderr: boolOpt({ help: 'Also log to standard error.', default: false }),
  log_color: boolOpt({ help: 'Colour log levels on a terminal.', default: false }),
  log_rotation_type: strOpt({
    help: 'Rotate the log file by time (interval), by size, or not at all (none).',
    default: 'none',
    choices: ['interval', 'size', 'none'],
  }),
  max_logfile_count: intOpt({ help: 'Rotated log files to keep.', default: 30 }),
  max_logfile_size_mb: intOpt({
    help: 'Size in MB at which a log file rotates (log_rotation_type = size).',
    default: 200,
  }),
  default_log_levels: listOpt({
    help: 'Per-logger levels, as logger=LEVEL pairs.',
    default: [
      'amqp=WARN',
      'sqlalchemy=WARN',
      'oslo.messaging=INFO',
      'keystonemiddleware=WARN',
      'stevedore=WARN',
    ],
  }),
  publish_errors: boolOpt({ help: 'Send ERROR log records as notifications.', default: false }),
  instance_format: strOpt({
    help: 'How an instance is named in log messages.',
    default: '[instance: %(uuid)s] ',
  }),
  instance_uuid_format: strOpt({
    help: 'How an instance UUID is named in log messages.',
    default: '[instance: %(uuid)s] ',
  }),
};
