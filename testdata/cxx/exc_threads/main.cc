// Exceptions thrown and caught concurrently in several threads (the unwinder's frame
// lookup and the exception allocator under contention).
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

int level1(int i, int *dtors);

struct Stats {
	long ok = 0, bad = 0, str = 0;
	int dtors = 0;
};

static void worker(int id, Stats *s)
{
	for (int i = id; i < 40000; i += 4) {
		try {
			s->ok += level1(i, &s->dtors);
		} catch (const std::runtime_error &e) {
			s->bad++;
		} catch (const std::string &str) {
			s->str += (long)str.size();
		}
	}
}

int main()
{
	std::vector<Stats> stats(4);
	std::vector<std::thread> ts;
	for (int id = 0; id < 4; id++)
		ts.emplace_back(worker, id, &stats[id]);
	for (auto &t : ts)
		t.join();
	for (int id = 0; id < 4; id++)
		std::printf("thread %d: ok %ld bad %ld strlen %ld dtors %d\n", id, stats[id].ok, stats[id].bad,
		            stats[id].str, stats[id].dtors);
	return 0;
}
