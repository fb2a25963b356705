// Mesos.V1 has Task and TaskStatus too: in this project "Task" is the TPL's and "TaskStatus" is Mesos'.
global using Task = System.Threading.Tasks.Task;
global using TaskStatus = Mesos.V1.TaskStatus;
