#include "shapes.h"
const char *Circle::name() const { return "circle"; }
const char *Square::name() const { return "square"; }
Shape::~Shape() {}
Shape *make_shape(int i)
{
	if (i == 0)
		return new Circle;
	return new Square;
}
