"""The scale benchmark: `bench --site <site> execute sales_reengineering.benchmarks.run --kwargs '{"size": "small"}'`.

See docs/performance.md for what it measures and the results."""


def run(size: str = "small", **kwargs) -> None:
	from sales_reengineering.benchmarks.runner import main

	main(size=size, **kwargs)
