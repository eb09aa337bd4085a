from django.db import migrations


def load(apps, schema_editor):
    from xianfeng.dues.rates import load_builtin_schedules

    load_builtin_schedules(apps.get_model("dues", "RateSchedule"), apps.get_model("dues", "RateBracket"))


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
