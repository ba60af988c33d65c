/* The subcommands of the vpmoire program. */
#ifndef VPM_APP_COMMANDS_H
#define VPM_APP_COMMANDS_H

int cmd_catalog(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_shotlist(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_focus(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_stage(int argc, char **argv);
int cmd_measure(int argc, char **argv);

#endif
