from django.core.management.base import BaseCommand

from hoth.synthetic.directory import generate_directory


class Command(BaseCommand):
    help = "Load about 150 invented support services into the directory (demonstration systems only)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, seed, **options):
        services = generate_directory(seed)
        self.stdout.write(f"{len(services)} services in the directory")
