/* Freezes one thread of a process -- the kiosk's UI (main) thread -- with
 * PTRACE_SEIZE + PTRACE_INTERRUPT, which stops that thread alone: the card
 * reader thread keeps running, as in a real UI hang. Test agent of the
 * Debian VM image only (image/debian/build.sh compiles it statically with
 * aarch64-linux-gnu-gcc, so the image needs no Python or debugger).
 *
 *   tsudoi-vm-hang PID      prints "HANG ui-thread-stopped pid=PID threads=N",
 *                           then "HANG process-gone" once systemd killed it
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

static int threads(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  DIR *d = opendir(path);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: tsudoi-vm-hang PID\n");
    return 2;
  }
  pid_t tid = (pid_t)atoi(argv[1]); /* the main thread's id is the process id */
  if (tid <= 1 || ptrace(PTRACE_SEIZE, tid, 0, 0) != 0 || ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0) {
    printf("HANG failed errno=%d\n", errno);
    return 1;
  }
  int status;
  if (waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status)) {
    printf("HANG failed: the thread did not stop\n");
    return 1;
  }
  printf("HANG ui-thread-stopped pid=%d threads=%d\n", (int)tid, threads(tid));
  fflush(stdout);
  /* Stay attached (detaching would let the thread run again) until the
   * process is gone: systemd's watchdog kills it. A fatal signal meant for
   * this thread is passed on, so the process dies as it would unobserved;
   * any other signal leaves the thread stopped. */
  for (;;) {
    pid_t r = waitpid(tid, &status, __WALL);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (WIFSTOPPED(status)) {
      int sig = WSTOPSIG(status);
      if ((status >> 16) == 0 && (sig == SIGABRT || sig == SIGTERM || sig == SIGKILL))
        ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
    }
  }
  printf("HANG process-gone\n");
  return 0;
}
