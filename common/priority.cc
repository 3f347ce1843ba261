#include "common/priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace checkin {

Status LowerThisThreadsPriority() {
  // On Linux a nice value belongs to a thread: PRIO_PROCESS with a thread id
  // sets that thread's alone.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, tid, 10) != 0) {
    return Status::DeviceError(std::string("cannot lower the import's priority: ") +
                               std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace checkin
