// What the toolchain's Glibc module leaves out.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>

// A GNU extension the Glibc module hides; names the calling thread for `top -H`, `ps -L` and
// perf (Linux keeps 15 bytes of it).
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline void sluice_name_current_thread(const char *name) {
    char shortened[16];
    int length = 0;
    while (name[length] != 0 && length < 15) { shortened[length] = name[length]; length++; }
    shortened[length] = 0;
    pthread_setname_np(pthread_self(), shortened);
}
