from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "hoth.referrals"
    verbose_name = "Referrals"
