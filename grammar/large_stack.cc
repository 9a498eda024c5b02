#include "grammar/large_stack.h"

#include <pthread.h>

namespace uprank::grammar::internal {

void run_with_large_stack(const std::function<void()>& work) {
  constexpr size_t kStackBytes = 256u << 20;
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kStackBytes);
  pthread_t thread;
  auto trampoline = [](void* argument) -> void* {
    (*static_cast<const std::function<void()>*>(argument))();
    return nullptr;
  };
  if (pthread_create(&thread, &attributes, trampoline, const_cast<std::function<void()>*>(&work)) != 0) {
    work();
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attributes);
}

}  // namespace uprank::grammar::internal
