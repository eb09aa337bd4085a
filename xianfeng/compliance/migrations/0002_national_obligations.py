from django.db import migrations


def load(apps, schema_editor):
    from xianfeng.compliance.catalogue import NATIONAL_FILE, load_profile, read_profile

    load_profile(
        read_profile(NATIONAL_FILE),
        profile_model=apps.get_model("compliance", "ObligationProfile"),
        obligation_model=apps.get_model("compliance", "Obligation"),
        kind_model=apps.get_model("activities", "ActivityKind"),
        builtin=True,
    )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial"), ("activities", "0002_builtin_kinds")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
