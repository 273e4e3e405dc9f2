#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

struct WorkerError : std::runtime_error {
	int id;
	WorkerError(int id) : std::runtime_error("worker failed"), id(id) {}
};

// Each worker stores the exception it caught; the main thread rethrows them.
std::vector<std::exception_ptr> run_workers(int n)
{
	std::vector<std::exception_ptr> errs(n);
	std::vector<std::thread> ts;
	for (int i = 0; i < n; i++)
		ts.emplace_back([i, &errs] {
			try {
				if (i % 3 == 0)
					throw WorkerError(i);
				if (i % 3 == 1)
					throw i;
			} catch (...) {
				errs[i] = std::current_exception();
			}
		});
	for (auto &t : ts)
		t.join();
	return errs;
}

int worker_id(const std::exception &e)
{
	auto *w = dynamic_cast<const WorkerError *>(&e);
	return w ? w->id : -1;
}
