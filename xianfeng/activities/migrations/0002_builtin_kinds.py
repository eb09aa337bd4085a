from django.db import migrations


def load(apps, schema_editor):
    from xianfeng.activities.catalogue import load_builtin_kinds

    load_builtin_kinds(apps.get_model("activities", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
