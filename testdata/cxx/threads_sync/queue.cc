#include "queue.h"
void Queue::push(int v)
{
	{
		std::lock_guard<std::mutex> l(m);
		q.push_back(v);
	}
	cv.notify_one();
}
void Queue::close()
{
	{
		std::lock_guard<std::mutex> l(m);
		closed = true;
	}
	cv.notify_all();
}
bool Queue::pop(int &v)
{
	std::unique_lock<std::mutex> l(m);
	cv.wait(l, [this] { return closed || !q.empty(); });
	if (q.empty())
		return false;
	v = q.front();
	q.pop_front();
	return true;
}
