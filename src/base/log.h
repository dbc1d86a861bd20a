/* Logging to stderr, one line per event with a UTC timestamp; safe from any
 * thread. */
#ifndef CORDON_LOG_H
#define CORDON_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silences info lines (tests and benchmarks that do not want them). */
void log_set_quiet(int quiet);

#endif
